; note: signed halving rounds toward zero; sar rounds down
; live-out: ax
; trap: sar ax, 1
cwd
sub ax, dx
sar ax, 1
