; note: floor of the average without overflow, through the 17-bit sum
; live-out: ax
; best-bytes: 4
; best: add ax, bx; rcr ax, 1
mov cx, ax
and cx, bx
xor ax, bx
shr ax, 1
add ax, cx
