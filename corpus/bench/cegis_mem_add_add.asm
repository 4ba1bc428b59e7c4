; note: two additions to one memory word are one; the sum 8 is no constant of the window (Z3 solves for it)
; live-out: mem bx
; best-bytes: 4
; best: add word [bx+2], 8
add word [bx+2], 3
add word [bx+2], 5
