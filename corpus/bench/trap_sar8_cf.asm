; note: sar by the width leaves CF the sign bit (SDM SAL/SAR/SHL/SHR: undefined for shl/shr only)
; live-out: cf
; trap: (empty)
sar al, 8
