// The hard-sigmoid activation of a readout in the output error (SPEC.md §6.3): y = 2048 for
// v > 2047, 0 for v < −2048, else (v + 2048) >> 1 (2048 = 1.0). Combinational.
module eprop_hard_sigmoid (
  input  logic signed [15:0] v_i,
  output logic        [11:0] y_o
);
  always_comb begin
    if (v_i > 16'sd2047) begin
      y_o = 12'd2048;
    end else if (v_i < -16'sd2048) begin
      y_o = 12'd0;
    end else begin
      // v + 2048 lies in [0, 4095]: its 12 bits are v[11:0] with bit 11 flipped.
      y_o = {1'b0, ~v_i[11], v_i[10:1]};
    end
  end
endmodule
