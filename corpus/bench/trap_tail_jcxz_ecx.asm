; note: a test of ecx is not jcxz, which reads only cx (ecx=0x10000)
; live-out: ecx
; live-taken: ecx
; trap: jcxz done; done:
test ecx, ecx
jz done
done:
