; note: cmpsw reads a word, which faults at offset 0xffff; adding 2 does not
; live-out: si di mem
; assume: df=0
; trap: cmpsw
add si, 2
add di, 2
