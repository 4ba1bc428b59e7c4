; note: branch-free unsigned maximum
; live-out: ax
; cpu: 686
; best-bytes: 5
; best: cmp ax, bx; cmovb ax, bx
sub bx, ax
cmc
sbb cx, cx
and cx, bx
add ax, cx
