; note: aam leaves the quotient in ah and the remainder in al, div the other way round
; live-out: ax
; trap: aam
mov ah, 0
mov bl, 10
div bl
