; note: cmp ax,0 before jne: test ax,ax is a byte shorter
; live-out: ax dx
; live-taken: ax dx
; best-bytes: 4
; best: test ax, ax; jne done; done:
cmp ax, 0
jne done
done:
