; note: cmp cx,0; je is jcxz when the flags are dead on both sides
; live-out: ax cx
; live-taken: ax cx
; best-bytes: 5
; best: mov al, 1; cbw; jcxz done; done:
mov ax, 1
cmp cx, 0
je done
done:
