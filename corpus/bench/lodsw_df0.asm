; note: load a word and advance under df=0
; live-out: ax si
; assume: df=0
; best-bytes: 1
; best: lodsw
mov ax, [si]
add si, 2
