; note: a 16-bit shrd by 16 is defined (only counts above 16 are not): CF is bit 15 of ax
; live-out: ax cf
; trap: mov ax, bx
shrd ax, bx, 16
