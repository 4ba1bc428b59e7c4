; note: masks and additions whose constants go through two operations: or then and with solved constants
; live-out: ax
; best-bytes: 5
; best: or al, 0x30; and ax, 0x0f3f
and ax, 0xff0f
and ax, 0x0fff
add ax, 0x10
add ax, 0x20
