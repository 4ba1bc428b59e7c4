; note: two masks and two additions: the bits the masks clear make the additions an or, and the masks one mask
; live-out: ax
; best-bytes: 5
; best: or al, 0x30; and ax, 0x0f3f
and ax, 0xff0f
and ax, 0x0fff
add ax, 0x10
add ax, 0x20
