; note: two byte stores are not one word store: at bx=0xffff the word crosses the end of the segment and faults
; live-out: mem bx
; trap: mov word [bx], 0x1234
mov byte [bx], 0x34
mov byte [bx+1], 0x12
