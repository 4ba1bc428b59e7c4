; note: subtracting 1 with flags dead
; live-out: bx
; best-bytes: 1
; best: dec bx
sub bx, 1
