; note: two byte additions in memory are one
; live-out: mem bx
; best-bytes: 3
; best: add byte [bx], 16
add byte [bx], 7
add byte [bx], 9
