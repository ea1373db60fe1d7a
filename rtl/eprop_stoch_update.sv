// The stochastic ±1 update of one 8-bit weight (SPEC.md §6.2, "Update of one weight"; the C++
// kernel stochastic_update): q = min(|P| << lr_p, 2^W − 1) >> lr_r; when q ≥ draw, or P is the most
// negative W-bit value, the weight moves by sign(P), except that 127 does not grow and −128 does
// not fall. W = 32 for input and recurrent weights, 28 for output weights. Combinational.
module eprop_stoch_update #(
  parameter int unsigned W = 32
) (
  input  logic signed [7:0]   w_i,
  input  logic signed [W-1:0] p_i,
  input  logic        [4:0]   lr_p_i,
  input  logic        [4:0]   lr_r_i,
  input  logic        [W-1:0] rnd_i,
  output logic signed [7:0]   w_o
);
  logic [W-1:0]    mag, capped, q;
  logic [W+30:0]   shifted;
  logic            most_negative, fires, positive, negative;

  always_comb begin
    mag = p_i[W-1] ? (~$unsigned(p_i) + 1'b1) : $unsigned(p_i);
    shifted = {31'b0, mag} << lr_p_i;
    capped = (|shifted[W+30:W]) ? '1 : shifted[W-1:0];
    q = capped >> lr_r_i;
    most_negative = p_i == {1'b1, {(W - 1) {1'b0}}};
    fires = (q >= rnd_i) || most_negative;
    negative = p_i[W-1];
    positive = !p_i[W-1] && (p_i != '0);
    w_o = w_i;
    if (fires && positive && w_i != 8'sd127) begin
      w_o = w_i + 8'sd1;
    end else if (fires && negative && w_i != -8'sd128) begin
      w_o = w_i - 8'sd1;
    end
  end
endmodule
