; note: a copy and two adjustments are one lea with the net displacement
; live-out: ax bx
; best-bytes: 4
; best: lea ax, [bx+0x1200]
mov ax, bx
add ax, 0x1234
sub ax, 0x0034
