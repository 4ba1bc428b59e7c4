; note: shifting out a nibble and back masks it
; live-out: dx
; best-bytes: 3
; best: and dl, 0xf0
shr dx, 4
shl dx, 4
