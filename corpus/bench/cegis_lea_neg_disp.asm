; note: two subtractions after a copy are lea with a negative displacement
; live-out: dx bx
; best-bytes: 3
; best: lea dx, [bx-8]
mov dx, bx
sub dx, 3
sub dx, 5
