; note: a shift leaves af undefined; add defines it
; live-out: al af
; trap: shl al, 2
add al, al
add al, al
