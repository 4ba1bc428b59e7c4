; note: store a word and advance under df=0
; live-out: di mem
; assume: df=0
; best-bytes: 1
; best: stosw
mov [es:di], ax
add di, 2
