; note: the word compare with es:[di] and a two-byte step is scasw
; live-out: zf cf sf di
; assume: df=0
; best-bytes: 1
; best: scasw
cmp ax, [es:di]
lea di, [di+2]
