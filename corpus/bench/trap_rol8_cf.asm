; note: rol by a multiple of the width leaves the value but sets CF to its low bit
; live-out: al cf
; trap: (empty)
rol al, 8
