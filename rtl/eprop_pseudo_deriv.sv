// The pseudo-derivative h of a membrane u (SPEC.md §6.2, phase A): the thresholds are tested in
// order and the level is the number of thresholds passed before the first that u is below
// (u < t0 gives level 0, t0 ≤ u < t1 level 1, …, u ≥ t3 level 4). Levels are 5-bit signed.
// Combinational.
module eprop_pseudo_deriv (
  input  logic signed [15:0]      u_i,
  input  logic        [63:0]      thr_i,    // threshold k at [16k +: 16], signed
  input  logic        [24:0]      level_i,  // level k at [5k +: 5], signed
  output logic signed [4:0]       h_o
);
  logic [2:0] level;
  logic       below;

  always_comb begin
    level = 3'd0;
    below = 1'b0;
    for (int unsigned k = 0; k < 4; k++) begin
      if (!below && u_i >= $signed(thr_i[16*k +: 16])) begin
        level = level + 3'd1;
      end else begin
        below = 1'b1;
      end
    end
    h_o = $signed(level_i[5*level +: 5]);
  end
endmodule
