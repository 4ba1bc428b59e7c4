; note: after rep stosb (or jcxz taken, or loop falling through) cx=0: the high byte alone sets 0x100
; live-out: cx
; assume: cx=0
; best-bytes: 2
; best: mov ch, 1
mov cx, 0x100
