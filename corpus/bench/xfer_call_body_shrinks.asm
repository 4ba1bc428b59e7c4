; note: the callee reads only cl: the body before the call keeps only that
; live-out: cl sp mem
; best-bytes: 5
; best: mov cl, 0x7; call func; func:
mov cx, 7
call func
func:
