; note: push leaves ax below sp in live memory
; live-out: sp mem
; trap: (empty)
push ax
add sp, 2
