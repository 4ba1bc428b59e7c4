; note: sub ax,1; jnc is taken when ax was not 0; dec ax; jns is not that (ax=0x8001)
; live-out: ax
; live-taken: ax
; trap: dec ax; jns done; done:
sub ax, 1
jnc done
done:
