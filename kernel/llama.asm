; llama.asm - Llama 2 (stories260K) inference in a boot image.
;
; Boots from a raw disk image, loads the rest of itself and the model blob
; (kernel/SPEC.md) with BIOS int 13h, switches to unreal mode (flat 4 GiB
; data segments, still 16-bit real mode code) and runs the full forward pass
; per token: embedding, 5 x (RMSNorm, fused QKV, RoPE, KV cache, 8-head
; attention over 4 KV heads, Wo, RMSNorm, fused W1/W3, SwiGLU, W2), final
; RMSNorm, classifier, argmax.  Greedy from BOS until the model emits BOS or
; the 512-position context is full.  Each token's text goes to COM1.
; kernel/golden.c (with qmath.c, model.c) is the bit-exact C model of this
; file: every block below names the qmath function it matches.
;
; Integer instructions of the 8086..386 only.

bits 16
cpu 386
org 0x7c00

; ---- memory map (linear addresses; DS = ES = flat after unreal set-up) ----
BLOB    equ 0x8400          ; image offset 0x800: the blob (kernel/blob.h)
L_QKV   equ 0               ; per layer: fused QKV, 128 rows of [M][64 int8]
L_BYTES equ 47712           ; one layer's matrices
B_CLS   equ 238560          ; classifier rows (final RMSNorm gain folded)
B_EMB   equ 273376          ; embedding rows
B_ROPE  equ 308192          ; [pos][4] {cos, sin} Q16
B_EXP   equ 324576          ; uint16 exp table
B_SIG   equ 340960          ; uint16 sigmoid table
B_VOC   equ 357344          ; vocabulary: length byte + bytes
X       equ 0x0600          ; residual stream, 64 x int32 Q16.16
XB      equ 0x0700          ; matmul input, up to 172 x int32
SCR     equ 0x0A00          ; matmul output (qkv, w1|w3, logits), 512 x int32
ATT     equ 0x1200          ; attention scores / probabilities, 512 x int32
VARS    equ 0x1A00          ; tok (word), pos (word), kvb (dword)
TOK     equ VARS
POS     equ VARS+2
KVB     equ VARS+4          ; this layer's KV cache: [pos][k 32, v 32] int32
HOFF    equ VARS+8          ; attention: 32 h (head h's q in SCR, output in XB)
KVH     equ VARS+12         ; attention: &K[0][kv(h)*8]
KV      equ 0x100000        ; KV cache, 5 layers x 512 positions x 256 bytes
CHUNKS  equ 12              ; 64-sector reads: image sectors 1..768

; ---- boot: load sectors 1.. (rest of kernel, blob) to 0x7E00 ----
start:
        mov si, dap
.load:  mov ah, 0x42            ; extended read, DS:SI = packet, DL = drive
        int 0x13
        add word [si+6], 0x800  ; next 32 KiB: segment += 64 * 512 / 16
        add word [si+8], 64     ; next LBA
        cmp word [si+8], 1 + CHUNKS*64
        jb .load

; ---- unreal mode: DS, ES get a 4 GiB limit with base 0 ----
        cli
        lgdt [gdt]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        mov bx, 8
        mov ds, bx
        mov es, bx
        dec ax
        mov cr0, eax

; ---- generate: tok = BOS, pos = 0 ----
        mov word [TOK], 1
        mov word [POS], 0
        jmp main

; GDT; its first 6 bytes double as the GDTR (limit, base)
gdt:    dw 15
        dd gdt
        dw 0
        dw 0xffff, 0            ; selector 8: flat data, 4 GiB
        db 0, 0x92, 0xcf, 0

; disk address packet for int 13h ah=42h
dap:    db 16, 0
        dw 64                   ; sectors per read
        dw 0, 0x07e0            ; buffer 07E0:0000
        dd 1, 0                 ; LBA

        times 510-($-$$) db 0
        dw 0xaa55

; ---- main loop: one forward pass per position ----
main:
; embed (q_embed): X[j] = (q[j] * M) >> 16 for the token's row
        movzx esi, word [TOK]
        imul esi, esi, 68
        add esi, BLOB + B_EMB
        a32 lodsd
        xchg eax, ebx
        mov di, X
        mov cx, 64
.emb:   a32 lodsb
        movsx eax, al
        imul ebx
        shrd eax, edx, 16
        stosd
        loop .emb

        mov esi, BLOB           ; weights are read in order: layers, classifier
        mov dword [KVB], KV
layer:
; attention block
        call rmsnorm            ; XB = norm(X)
        mov cx, 128
        call mm_fresh64         ; SCR = [q 64 | k 32 | v 32]
        push esi
        call rope               ; rotate q and k
        ; KV[pos] = k, v
        mov esi, SCR + 256
        movzx edi, word [POS]
        shl edi, 8
        add edi, [KVB]
        mov ecx, 64
        a32 rep movsd
        call attention          ; XB[0..63] = attention output
        pop esi
        mov cx, 64
        mov dx, 64
        mov di, X
        call matmul             ; X += Wo XB
; feed-forward block
        call rmsnorm
        mov cx, 344
        call mm_fresh64         ; SCR = [w1 x 172 | w3 x 172]
        call swiglu             ; XB = silu(w1 x) * (w3 x)
        mov cx, 64
        mov dx, 172
        mov di, X
        call matmul             ; X += W2 XB
        add dword [KVB], 512*256
        cmp dword [KVB], KV + 5*512*256
        jb layer
; classifier and argmax
        call rmsnorm
        mov cx, 512
        call mm_fresh64         ; SCR = logits
        mov si, SCR             ; argmax (q_argmax): first maximum
        xor bx, bx              ; best index
        xor cx, cx              ; index
        mov ebp, 0x80000000
.am:    lodsd
        cmp eax, ebp
        jle .amn
        xchg eax, ebp
        mov bx, cx
.amn:   inc cx
        cmp cx, 512
        jb .am
        cmp bx, 1               ; BOS ends the story
        je halt
        mov [TOK], bx
; print the token's piece: skip bx pieces of the vocabulary
        mov esi, BLOB + B_VOC
.skip:  a32 lodsb
        movzx ecx, al
        dec bx
        js .put
        add esi, ecx
        jmp .skip
.put:   mov dx, 0x3f8
        jcxz .next
.out:   a32 lodsb
        out dx, al
        loop .out
.next:  inc word [POS]
        cmp word [POS], 512
        jb main
halt:   cli
        hlt

; ---- rmsnorm (q_rmsnorm): XB = X * 2^11 / isqrt(sum (X >> 8)^2) ----
rmsnorm:
        push esi
        mov si, X
        mov cx, 64
        xor edi, edi
.sq:    lodsd
        sar eax, 8
        imul eax, eax
        add edi, eax
        loop .sq
        mov ebx, edi            ; isqrt (q_isqrt): Newton from y = n
.nt:    mov eax, edi
        xor edx, edx
        div ebx
        add eax, ebx
        rcr eax, 1
        cmp eax, ebx
        jae .nd
        xchg eax, ebx
        jmp .nt
.nd:    mov si, X
        mov di, XB
        mov cl, 64
.dv:    lodsd
        cdq
        shld edx, eax, 11
        shl eax, 11
        idiv ebx
        stosd
        loop .dv
        pop esi
        ret

; ---- mm_fresh64: SCR = 0, then SCR += W XB for cx rows of 64 inputs ----
mm_fresh64:
        mov di, SCR
        push di
        push cx
        mov cx, 512
        xor eax, eax
        rep stosd
        pop cx
        pop di
        mov dx, 64
; ---- matmul (q_matmul_add): [di + 4i] += (sum_j w[i][j] XB[j]) * M[i] >> 32
;      esi = rows [int32 M][dx x int8], cx = rows; esi advances past them
matmul:
.row:   push cx
        a32 lodsd
        push eax
        xor ebp, ebp
        xor bx, bx
        mov cx, dx
.col:   a32 lodsb
        movsx eax, al
        imul eax, [bx+XB]
        add ebp, eax
        add bx, 4
        loop .col
        pop eax
        push dx
        imul ebp
        add [di], edx
        pop dx
        add di, 4
        pop cx
        loop .row
        ret

; ---- rope (q_rope): rotate the 48 pairs of q, k by the position's angles ----
rope:
        movzx ebx, word [POS]
        shl ebx, 5
        add ebx, BLOB + B_ROPE
        mov si, SCR
        xor edi, edi            ; frequency offset 0, 8, 16, 24
.rp:    mov eax, [si]
        imul dword [ebx+edi]    ; a cos
        shrd eax, edx, 16
        xchg eax, ebp
        mov eax, [si+4]
        imul dword [ebx+edi+4]  ; b sin
        shrd eax, edx, 16
        sub ebp, eax            ; a' = a cos - b sin
        mov eax, [si]
        imul dword [ebx+edi+4]  ; a sin
        shrd eax, edx, 16
        xchg eax, ecx
        mov eax, [si+4]
        imul dword [ebx+edi]    ; b cos
        shrd eax, edx, 16
        add eax, ecx            ; b' = a sin + b cos
        mov [si+4], eax
        mov [si], ebp
        add si, 8
        add di, 8
        and di, 31
        cmp si, SCR + 48*8
        jb .rp
        ret

; ---- attention: XB[h*8+i] = sum_t p_t V[t][kv(h)*8+i] for the 8 heads ----
attention:
        mov word [HOFF], 0
.head:  mov di, [HOFF]          ; KVH = &K[0][kv(h)*8], kv(h) = h / 2
        shr di, 1
        and di, -32
        movzx edi, di
        add edi, [KVB]
        mov [KVH], edi
        ; scores (q_dot): ATT[t] = sum_i (q_i k_ti) >> 16, ebp = their max
        mov bx, ATT
        mov ebp, 0x80000000
.sc:    mov si, [HOFF]
        add si, SCR             ; q of head h (32-byte aligned)
        xor ecx, ecx
.dot:   lodsd
        a32 imul dword [edi]
        shrd eax, edx, 16
        add ecx, eax
        add edi, 4
        test si, 31
        jnz .dot
        add edi, 256 - 32       ; next position's k
        mov [bx], ecx
        cmp ecx, ebp
        jle .scn
        mov ebp, ecx
.scn:   add bx, 4
        mov ax, [POS]
        shl ax, 2
        add ax, ATT
        cmp bx, ax
        jbe .sc                 ; bx = ATT + 4 (pos + 1) at the end
        ; softmax (q_softmax): e = EXP[(max - s) >> 8], p = e (2^47 / sum e) >> 32
        mov si, ATT
        xor edi, edi            ; sum
        mov ecx, BLOB + B_EXP
.ex:    mov eax, ebp
        sub eax, [si]
        sar eax, 8
        call lookup
        mov [si], eax
        add edi, eax
        add si, 4
        cmp si, bx
        jb .ex
        mov edx, 0x8000
        xor eax, eax
        div edi
        xchg eax, ecx           ; R
        mov si, ATT
.nm:    mov eax, [si]
        mul ecx
        mov [si], edx
        add si, 4
        cmp si, bx
        jb .nm
        ; weighted values (q_mulq15): out_i = sum_t (p_t v_ti) >> 15
        mov edi, [KVH]
        add edi, 128            ; &V[0][kv(h)*8]; edi & 31 = 4 i
.vi:    push edi
        mov si, ATT
        xor ebp, ebp
.vt:    lodsd
        a32 imul dword [edi]
        shrd eax, edx, 15
        add ebp, eax
        add edi, 256
        cmp si, bx
        jb .vt
        pop edi
        mov si, di
        and si, 31
        add si, [HOFF]
        mov [si+XB], ebp
        add edi, 4
        test di, 31
        jnz .vi
        add word [HOFF], 32
        cmp word [HOFF], 256
        jb .head
        ret

; ---- swiglu (q_swiglu): XB[i] = ((g SIG[(g >> 8) + 4096]) >> 16) u >> 16 ----
swiglu:
        push esi
        mov si, SCR
        mov di, XB
        mov ecx, BLOB + B_SIG
.sg:    mov eax, [si]           ; g = w1 x
        sar eax, 8
        add eax, 4096
        call lookup
        imul dword [si]
        shrd eax, edx, 16
        imul dword [si + 172*4] ; u = w3 x
        shrd eax, edx, 16
        stosd
        add si, 4
        cmp si, SCR + 172*4
        jb .sg
        pop esi
        ret

; ---- lookup (q_table): eax = word [ecx + 2 clamp(eax, 0, 8191)] ----
lookup: cmp eax, 8191
        jbe .in
        sar eax, 31             ; -1 below the table, 0 above
        not eax
        and eax, 8191
.in:    movzx eax, word [ecx+eax*2]
        ret
kernel_end:
