; note: or cx,cx; jz leaves ZF=1 at the target, which reads it: jcxz sets no flag
; live-out: cx
; live-taken: cx zf
; trap: jcxz done; done:
or cx, cx
jz done
done:
