; note: a copied base minus a constant is a negative displacement
; live-out: ax bx
; best-bytes: 3
; best: mov ax, [bx-2]
mov di, bx
sub di, 2
mov ax, [di]
