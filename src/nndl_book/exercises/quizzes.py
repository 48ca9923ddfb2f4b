"""The self-test questions of each chapter, keyed by chapter number ("01" … "10").

Each question names the exercise it comes from (``exercise``), so the exercise index can show
which exercises have a quiz. Display one chapter's quiz with ``quiz("05")``.
"""

from __future__ import annotations

from nndl_book.exercises.quiz import Question

Q = Question

QUIZZES: dict[str, list[Question]] = {
    "01": [
        Q("A two-layer network whose hidden activation is the identity computes …",
          options=("an affine function of the input, like a single linear layer",
                   "any continuous function, given enough hidden units",
                   "a piecewise-linear function with one kink per hidden unit"),
          answer=0, exercise="ex-01-collapse",
          explanation="W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂), one affine layer however "
                      "wide the hidden layer is."),
        Q("With examples stored as columns, a batch of 64 inputs of size 784 entering a layer of "
          "100 neurons gives net inputs Z of shape …",
          options=("(100, 64)", "(64, 100)", "(100, 784)", "(784, 64)"),
          answer=0, exercise="ex-01-shapes",
          explanation="Z = WX + b with W of shape (100, 784) and X of shape (784, 64)."),
        Q("N hidden neurons are split evenly over L hidden layers, with N much larger than the "
          "input size. For which L is the number of parameters largest?",
          answer=2, exercise="ex-01-nndl-4-5",
          explanation="The hidden-to-hidden weights add (L − 1)N²/L², which is 0 for L = 1 and "
                      "largest at L = 2."),
    ],
    "02": [
        Q("A 2-5-1 sigmoid network starts with every weight and bias equal to 0. After training "
          "by gradient descent in exact arithmetic, its five hidden units …",
          options=("are still identical copies of each other",
                   "have become different features, as from random weights",
                   "still have all their weights exactly 0"),
          answer=0, exercise="ex-02-nndl-4-8",
          explanation="Equal units receive equal gradients and so equal updates: they stay equal, "
                      "and the layer works like a single unit (in floating point, round-off can "
                      "split them at an uncontrolled step, as chapter 2 shows)."),
        Q("A network with tanh hidden units starts with all parameters 0. Which parameters get a "
          "non-zero gradient in the first backward pass?",
          options=("only the output bias", "all weights and biases", "none of them",
                   "only the hidden weights"),
          answer=0, exercise="ex-02-nndl-4-8",
          explanation="tanh(0) = 0 makes the hidden activations 0, so the output weights get no "
                      "gradient, and W⁽²⁾ = 0 stops the error before the hidden layer."),
        Q("In the δ recursion of a tanh layer, the factor f′(z) can be computed from the "
          "activation a = tanh(z) as …",
          options=("1 − a²", "a(1 − a)", "1 − a", "1 / (1 + a²)"),
          answer=0, exercise="ex-02-tanh-delta",
          explanation="tanh′(z) = 1 − tanh²(z), so the forward pass's a is all that is needed."),
    ],
    "03": [
        Q("A ReLU unit's net input is negative for every training example. What does gradient "
          "descent do to its weights and bias?",
          options=("nothing: every gradient is exactly 0, so the unit stays dead",
                   "it pushes the bias up until the unit is active again",
                   "it shrinks the weights towards 0"),
          answer=0, exercise="ex-03-nndl-4-3",
          explanation="ReLU's derivative is 0 for z < 0, so every term of the gradient has a "
                      "factor 0."),
        Q("Which change brought the dead unit back to life in the chapter's experiment?",
          options=("leaky ReLU or ELU, whose negative side still has a slope",
                   "more training steps with the same ReLU unit",
                   "a larger learning rate"),
          answer=0, exercise="ex-03-nndl-4-3",
          explanation="With a slope on the negative side the gradient is not 0, and it pulls the "
                      "bias back up."),
        Q("Since tanh(z) = 2σ(2z) − 1, a tanh unit with weights w and bias b equals a logistic "
          "unit with …",
          options=("weights 2w and bias 2b, its output mapped by a ↦ 2a − 1",
                   "weights w/2 and bias b/2, its output mapped by a ↦ (a + 1)/2",
                   "the same weights and bias, its output unchanged"),
          answer=0, exercise="ex-03-nielsen-tanh",
          explanation="tanh(wᵀx + b) = 2σ(2wᵀx + 2b) − 1; in a hidden layer the map a ↦ 2a − 1 "
                      "is absorbed by the next layer's weights and bias."),
        Q("A maxout unit computes |z| as max(z, −z). At the input z = 2, which piece's "
          "parameters receive a gradient?",
          options=("only those of the piece z, which is the larger one at z = 2",
                   "those of both pieces", "only those of the piece −z"),
          answer=0, exercise="ex-03-maxout",
          explanation="The derivative of a maximum is 1 for the winning piece and 0 for the "
                      "others."),
    ],
    "04": [
        Q("For a target y = 0 or 1, the swapped expression −[a ln y + (1 − a) ln(1 − y)] …",
          options=("contains ln 0, so it is infinite or undefined and useless as a cost",
                   "equals the cross-entropy −[y ln a + (1 − y) ln(1 − a)]",
                   "is finite but has zero gradient"),
          answer=0, exercise="ex-04-nielsen-swapped",
          explanation="The correct form only takes logarithms of the output a, which a sigmoid "
                      "keeps strictly between 0 and 1."),
        Q("For the soft target y = 0.3, at which output a is the cross-entropy "
          "−[y ln a + (1 − y) ln(1 − a)] smallest?",
          answer=0.3, tolerance=0.001, exercise="ex-04-nielsen-entropy",
          explanation="C′(a) = (a − y)/(a(1 − a)) vanishes only at a = y, where C is the binary "
                      "entropy H(y) > 0, not 0."),
        Q("Why can no choice of cost function remove the factor x_j from ∂C/∂w_j?",
          options=("w_j reaches the output only through z = Σ w_j x_j + b, and ∂z/∂w_j = x_j "
                   "whatever the cost",
                   "because the cross-entropy is already the best possible cost",
                   "because σ′(z) always cancels it"),
          answer=0, exercise="ex-04-nielsen-xj",
          explanation="The cost shapes δ = ∂C/∂z, but the factor x_j comes from the neuron, so "
                      "only changing the neuron or the data (e.g. centring) can remove it."),
        Q("Logistic regression fitted with the squared loss (y − σ(wᵀx))² instead of the "
          "cross-entropy …",
          options=("works, but learns slowly when confidently wrong and is not convex in w",
                   "cannot be trained by gradient descent at all",
                   "has exactly the same gradient as with the cross-entropy"),
          answer=0, exercise="ex-04-nndl-3-5",
          explanation="Its gradient carries σ′(z), which vanishes for large |z|, and its "
                      "curvature is negative in places, while the cross-entropy is convex."),
    ],
    "05": [
        Q("A sigmoid neuron whose inputs are all positive is trained one example at a time. The "
          "components of each weight update …",
          options=("all have the same sign, so the weights move up together or down together",
                   "have independent random signs", "are all zero"),
          answer=0, exercise="ex-05-nndl-4-1",
          explanation="∂L/∂w = δx with one number δ, so every component has δ's sign when every "
                      "input is positive: the path zig-zags."),
        Q("Centring the inputs speeds up full-batch gradient descent mainly because it …",
          options=("lowers the condition number of the loss's Hessian",
                   "makes the loss convex", "raises the learning rate automatically"),
          answer=0, exercise="ex-05-nndl-4-1",
          explanation="A non-zero input mean adds a large eigenvalue along the mean direction, "
                      "and the number of steps grows with λmax/λmin."),
        Q("At most how many of the four XOR points can a 2-1-1 network "
          "ŷ = v·ReLU(wᵀx + c) + b classify correctly (ŷ > 1/2 meaning class 1)?",
          answer=3, exercise="ex-05-one-unit",
          explanation="{ŷ > 1/2} is a half-plane of the inputs, and a half-plane can get three "
                      "XOR points right but never all four."),
        Q("Why does a wider hidden layer succeed more often on XOR?",
          options=("few live units at the start become unlikely, and some pair of units is "
                   "likely to split the corners the right way",
                   "a wider layer trains with a larger learning rate",
                   "a wider layer can never have dead units"),
          answer=0, exercise="ex-05-width",
          explanation="With zero biases each unit starts dead with probability 1/4, so the chance "
                      "that at most one of H units is alive falls fast as H grows."),
    ],
    "06": [
        Q("Why does the Runner restore the weights of the best epoch on the development set "
          "rather than keep the last ones?",
          options=("after the best epoch the network fits the training noise and gets worse on "
                   "new data",
                   "the last epoch's weights are discarded when training ends",
                   "the best dev epoch always has the lowest training loss"),
          answer=0, exercise="ex-06-best-vs-last",
          explanation="Past the best epoch the training loss keeps falling while the dev loss "
                      "rises: the last weights generalise worse."),
        Q("The dev accuracy of the restored best model is …",
          options=("optimistically biased, because the epoch was chosen by looking at the dev set",
                   "an unbiased estimate of its accuracy on new data",
                   "biased downwards, because the dev set is small"),
          answer=0, exercise="ex-06-best-vs-last",
          explanation="The best of many dev scores includes luck on those dev points; only an "
                      "untouched test set gives a fair estimate."),
        Q("Early stopping with a small patience on a noisy dev loss risks …",
          options=("stopping at a random bump and restoring an early, worse epoch",
                   "training far too long",
                   "losing the best weights"),
          answer=0, exercise="ex-06-patience",
          explanation="A large patience only costs training time, since the Runner restores the "
                      "best weights anyway."),
        Q("Twenty models that guess every label at random are measured on the same 200-point "
          "test set. The best of their 20 test accuracies is, on average, …",
          options=("clearly above 0.5, although every model's true accuracy is 0.5",
                   "0.5, like each model's true accuracy", "below 0.5"),
          answer=0, exercise="ex-06-test-once",
          explanation="Picking the best of 20 noisy scores picks the luckiest: selecting by test "
                      "score turns noise into an apparent result."),
    ],
    "07": [
        Q("One momentum step on f = λw²/2 is a linear map of (w, v) with determinant μ. What "
          "happens for μ > 1?",
          options=("an eigenvalue exceeds 1 in modulus and the iterates grow, whatever the "
                   "learning rate",
                   "training converges faster than with μ < 1",
                   "it diverges only when the learning rate is too large"),
          answer=0, exercise="ex-07-nielsen-momentum",
          explanation="The determinant is the product of the two eigenvalues, so one of them has "
                      "modulus at least √μ > 1."),
        Q("While the parameters change little, K consecutive SGD steps with learning rate α "
          "add up to about one mini-batch step (batch size K) with learning rate …",
          options=("Kα", "α", "α/K", "√K·α"),
          answer=0, exercise="ex-07-nndl-7-1",
          explanation="The K per-example gradients sum to K times their mean, which is the "
                      "mini-batch gradient."),
        Q("Without bias correction, Adam's first step (β₁ = 0.9, β₂ = 0.999) is how many times "
          "the intended step α, in each coordinate? (two decimals)",
          answer=3.16, tolerance=0.01, exercise="ex-07-nndl-7-2",
          explanation="M₁ = (1 − β₁)g and G₁ = (1 − β₂)g², so M₁/√G₁ = (1 − β₁)/√(1 − β₂) = "
                      "0.1/√0.001 ≈ 3.16 in size."),
        Q("On f = w₁² − w₂², Newton's method started from any point …",
          options=("lands on the saddle point (0, 0) in one step",
                   "moves away from the saddle along w₂", "diverges"),
          answer=0, exercise="ex-07-newton-saddle",
          explanation="H⁻¹∇f = w, so the Newton step w − H⁻¹∇f is 0: Newton solves ∇f = 0, "
                      "saddle or not."),
    ],
    "08": [
        Q("Why does the structural risk penalise the weights but not the biases?",
          options=("a bias only shifts where a unit switches, not how steeply: penalising it buys "
                   "no smoothness and ties the penalty to where the origin is",
                   "biases are always zero after training",
                   "biases receive no gradient"),
          answer=0, exercise="ex-08-nndl-4-7",
          explanation="On data far from the origin a bias penalty forces smaller weights and a "
                      "worse fit, without making the function simpler."),
        Q("Inverted dropout divides the kept activations by 1 − p during training so that …",
          options=("the next layer's expected input is the same in training and at test, with "
                   "no change to the test network",
                   "fewer units are dropped", "the gradients become smaller"),
          answer=0, exercise="ex-08-dropout-scaling",
          explanation="E[m h/(1 − p)] = h for a mask m kept with probability 1 − p, which is what "
                      "the full layer passes on at test."),
        Q("Dropout with p = 0.5 is trained without scaling and tested without the factor 1 − p. "
          "About how many times larger is one layer's output at test than on average in "
          "training?",
          answer=2, tolerance=0.01, exercise="ex-08-dropout-scaling",
          explanation="In training a layer passes on a fraction 1 − p = 0.5 of its activations on "
                      "average, at test all of them: 1/(1 − p) = 2."),
        Q("ℓ2 regularisation (a penalty's gradient λW) and weight decay are the same for …",
          options=("plain SGD only; with momentum they differ a little, with Adam a lot",
                   "SGD, SGD with momentum and Adam alike", "Adam only"),
          answer=0, exercise="ex-08-nndl-7-9",
          explanation="Adam divides λW by the running gradient size, so weights with large "
                      "gradients decay less; AdamW applies the decay directly."),
    ],
    "09": [
        Q("Every weight of a 2-16-1 tanh network starts at 0.5, every bias at 0. After training, "
          "its sixteen hidden units …",
          options=("are still one unit repeated sixteen times (up to rounding), though the "
                   "network does learn",
                   "are dead: no gradient reaches them",
                   "have become different, because tanh breaks the symmetry"),
          answer=0, exercise="ex-09-nndl-4-8",
          explanation="Equal units get equal gradients, whatever the common value; only noise in "
                      "the start breaks the symmetry."),
        Q("Can a larger learning rate cure the vanishing gradient of a deep sigmoid network "
          "trained by plain gradient descent?",
          options=("no: it scales every layer's step alike, so the first layers still barely "
                   "move while the last ones overshoot",
                   "yes: a large enough rate moves the first layers as much as the last",
                   "yes, but only for networks of at most five layers"),
          answer=0, exercise="ex-09-nndl-4-9",
          explanation="The ratio between layers' steps is unchanged; a per-parameter step size "
                      "such as Adam's is what helps."),
        Q("In Nielsen's example (weights N(0, 1/1000), bias N(0, 1)), what is the variance of z "
          "when all 1000 inputs are 1?",
          answer=2, tolerance=1e-9, exercise="ex-09-nielsen-std",
          explanation="Variances of independent terms add: 1000 · 1/1000 + 1 = 2."),
        Q("By what factor does NNDL multiply Xavier's weight variance for the logistic function?",
          answer=16, tolerance=1e-9, exercise="ex-09-xavier-sigmoid",
          explanation="σ′(0) = 1/4 enters the variance squared, so the variance grows by "
                      "1/(1/4)² = 16 and the bounds by 4."),
    ],
    "10": [
        Q("The schedule halves the learning rate from 0.05 after each stage and stops once it has "
          "fallen below 0.05/128, training a stage at 0.05/128 too. How many stages does it train?",
          answer=8, tolerance=1e-9, exercise="ex-10-nielsen-halving",
          explanation="The stages run at 0.05 · 2⁻ᵏ for k = 0, 1, …, 7: halving 0.05 seven "
                      "times reaches 0.05/128, eight stages in all."),
        Q("With a dev set of 359 images, why is the dev loss a better signal than the dev "
          "accuracy for deciding that a stage has stopped improving?",
          options=("the accuracy moves in steps of 1/359 and can stay flat while the model "
                   "still improves; the loss changes with every improvement of the outputs",
                   "the loss is always lower than one minus the accuracy",
                   "the accuracy cannot be computed during training",
                   "the loss never increases once training has started"),
          answer=0, exercise="ex-10-nielsen-halving",
          explanation="Counting right answers throws away how confident each answer is, so a "
                      "patience rule on the accuracy halves the rate too early."),
        Q("Gradient descent on the regularised training loss L(w) + (λ/2)‖w‖² is also used to "
          "choose λ. What does it do to λ?",
          options=("drives it to 0: the derivative in λ is ‖w‖²/2 ≥ 0",
                   "finds the λ with the best dev loss",
                   "leaves it unchanged: the loss does not depend on λ",
                   "makes it grow without bound"),
          answer=0, exercise="ex-10-nielsen-gd-hyper",
          explanation="The penalty only ever costs training loss; the λ that matters is the one "
                      "minimising the dev loss of the trained weights, a nested problem."),
        Q("The test accuracy comes out the same whether the inputs are standardised with the "
          "statistics of all images or of the training part only. What follows?",
          options=("using all images is still a mistake: the model has seen a summary of the "
                   "test images, and the leak grows with fewer test images or more statistics",
                   "the leak does not matter, so fitting on all images is fine",
                   "the test set is too small to be used at all",
                   "standardising is unnecessary for this data set"),
          answer=0, exercise="ex-10-leak",
          explanation="The test set stands for unseen images only if nothing, preprocessing "
                      "included, was fitted with it."),
    ],
}
