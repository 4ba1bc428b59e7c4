; note: copy a word and advance both pointers
; live-out: si di mem
; assume: df=0
; best-bytes: 1
; best: movsw
mov ax, [si]
mov [es:di], ax
add si, 2
add di, 2
