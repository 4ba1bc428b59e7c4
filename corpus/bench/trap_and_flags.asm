; note: and sets zf and sf; mov does not
; live-out: ax zf sf
; trap: mov ah, 0
and ax, 0xff
