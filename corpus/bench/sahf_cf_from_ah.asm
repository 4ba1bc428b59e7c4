; note: the low bit of ah into cf is sahf when the other flags are dead
; live-out: cf
; best-bytes: 1
; best: sahf
shr ah, 1
