// The update value P of one lane of an input or recurrent weight word (SPEC.md §6.2, phase B):
// P = L · t · h (h = 0 gives 0); the multiplicative regulariser scales a positive P to
// (P · (16 − min(ρ >> mul_shift, 16))) >> 4; the additive one gives max(−2^31, P − ((ρ << k_p) >> k_r)).
// |L · t · h| < 2^31 for the engine's widths, so P is 32-bit signed. Combinational.
module eprop_update_value (
  input  logic signed [15:0] l_i,
  input  logic        [11:0] t_i,
  input  logic signed [4:0]  h_i,
  input  logic        [11:0] rho_i,
  input  logic               mul_en_i,
  input  logic               add_en_i,
  input  logic        [3:0]  mul_shift_i,
  input  logic        [4:0]  k_p_i,
  input  logic        [4:0]  k_r_i,
  output logic signed [31:0] p_o
);
  logic signed [20:0] lh;        // L · h: 16 × 5 bits signed
  logic signed [33:0] lht;       // L · h · t
  logic signed [36:0] scaled;    // a positive L · h · t (< 2^31) times at most 16
  logic signed [44:0] p1, p2;
  logic        [11:0] rho_shifted;
  logic        [4:0]  scale;
  logic        [42:0] penalty;

  always_comb begin
    lh = 21'($signed(l_i)) * 21'($signed(h_i));
    lht = 34'(lh) * 34'($signed({1'b0, t_i}));
    rho_shifted = rho_i >> mul_shift_i;
    scale = 5'd16 - ((rho_shifted > 12'd16) ? 5'd16 : rho_shifted[4:0]);
    scaled = 37'(lht) * 37'($signed({1'b0, scale}));
    p1 = 45'(lht);
    if (mul_en_i && lht > 34'sd0) begin
      p1 = 45'($signed(scaled[36:4]));  // >> 4 of a positive value
    end
    penalty = (43'(rho_i) << k_p_i) >> k_r_i;
    p2 = p1;
    if (add_en_i) begin
      p2 = p1 - $signed({2'b0, penalty});
      if (p2 < -45'sd2147483648) begin
        p2 = -45'sd2147483648;
      end
    end
    p_o = p2[31:0];
  end
endmodule
