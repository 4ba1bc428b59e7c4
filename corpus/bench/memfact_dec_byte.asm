; note: a byte known to be 0 becomes 0xff by dec
; live-out: mem
; assume: byte [di]=0
; best-bytes: 2
; best: dec byte [di]
mov byte [di], 0xff
