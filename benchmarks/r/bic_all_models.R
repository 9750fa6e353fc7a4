# Fit every hierarchical log-linear model listed in a file with base R's glm (Poisson) and
# pick the best by BIC (k log n, n = observed people). Written for civcas's benchmark from
# the model definition; no existence checks (so a lower bound on Rcapture/SparseMSE time).
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d <- d[rowSums(d[, setdiff(names(d), "count"), drop = FALSE]) > 0, ]
forms <- readLines(args[2])
n <- sum(d$count)
p0 <- proc.time()
t0 <- p0[["elapsed"]]
best <- Inf; bestN <- NA; bestF <- ""
for (f in forms) {
  fit <- suppressWarnings(glm(as.formula(paste("count ~", f)), family = poisson, data = d))
  k <- length(coef(fit))
  bic <- -2 * as.numeric(logLik(fit)) + k * log(n)
  if (bic < best) { best <- bic; bestN <- n + exp(coef(fit)[[1]]); bestF <- f }
}
p1 <- proc.time()
el <- p1[["elapsed"]] - t0
cpu <- (p1[["user.self"]] + p1[["sys.self"]]) - (p0[["user.self"]] + p0[["sys.self"]])
cat(sprintf("%.4f\t%.4f\t%s\t%d\t%.4f\n", el, bestN, bestF, length(forms), cpu))
