; note: branch-free unsigned minimum
; live-out: ax
; cpu: 686
; best-bytes: 5
; best: cmp ax, bx; cmova ax, bx
sub bx, ax
sbb cx, cx
and cx, bx
add ax, cx
