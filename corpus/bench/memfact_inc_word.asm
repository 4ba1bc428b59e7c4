; note: a word known to be 0x00ff becomes 0x0100 by inc
; live-out: mem
; assume: word [si+2]=0x00ff
; best-bytes: 3
; best: inc word [si+2]
mov word [si+2], 0x0100
