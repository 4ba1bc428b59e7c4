; note: a compare with es:[di] and a step that keeps the flags is scasb
; live-out: zf cf di
; assume: df=0
; best-bytes: 1
; best: scasb
cmp al, [es:di]
lea di, [di+1]
