; note: a zero test of cx before a branch: jcxz tests cx itself
; live-out: cx si
; live-taken: cx
; best-bytes: 2
; best: jcxz done; done:
or cx, cx
jz done
done:
