; note: cmov is a P6 instruction: at the default level (386) the unsigned maximum keeps its branch-free form
; live-out: ax
; trap: cmp ax, bx; cmovb ax, bx
sub bx, ax
cmc
sbb cx, cx
and cx, bx
add ax, cx
