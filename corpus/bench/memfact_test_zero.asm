; note: a byte known to be 0 clears the register it is loaded into: a shorter clear
; live-out: al
; assume: byte [si+0x10]=0
; best-bytes: 2
; best: mov al, 0
mov al, [si+0x10]
