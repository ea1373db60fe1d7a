// The learning signal of a post neuron (SPEC.md §6.2, phase A): L = sat16(((Σ_k e_k · W_out[k])
// · 2^shift) >> 12) over the 16 lanes of its output-weight row (lanes k ≥ O carry e_k = 0); the
// shift is arithmetic (floor, also for negative sums). Build-time fault EPROP_FAULT_ROUNDING: a
// negative value rounds toward zero instead (the checker must catch it). Combinational.
module eprop_learn_signal (
  input  logic [255:0]      e_i,       // errors, 16-bit signed, lane k at [16k +: 16]
  input  logic [127:0]      w_i,       // the output-weight row, 8-bit signed per lane
  input  logic [3:0]        shift_i,
  output logic signed [15:0] l_o
);
  localparam int unsigned Frac = eprop_pkg::LearnSigFracBits;
  logic signed [27:0] sum;
  logic signed [42:0] scaled, rounded;

  always_comb begin
    sum = '0;
    for (int unsigned k = 0; k < eprop_pkg::Lanes; k++) begin
      sum = sum + 28'($signed(e_i[16*k +: 16]) * $signed(w_i[8*k +: 8]));
    end
    scaled = 43'(sum) <<< shift_i;
`ifdef EPROP_FAULT_ROUNDING
    rounded = scaled[42] ? -((-scaled) >>> Frac) : scaled >>> Frac;
`else
    rounded = scaled >>> Frac;
`endif
    if (rounded > 43'sd32767) begin
      l_o = 16'sd32767;
    end else if (rounded < -43'sd32768) begin
      l_o = -16'sd32768;
    end else begin
      l_o = rounded[15:0];
    end
  end
endmodule
