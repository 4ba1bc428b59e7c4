; note: sub ax,1; jnc is taken when ax was not 0; with nothing else live, cx can carry it into loop
; live-out: bx
; live-taken: bx
; best-bytes: 4
; best: xchg cx, ax; inc cx; loop done; done:
sub ax, 1
jnc done
done:
