; note: bp addresses the stack segment itself
; live-out: al bp
; best-bytes: 3
; best: mov al, [bp]
mov si, bp
mov al, [ss:si]
