# Fit every hierarchical log-linear model listed in a file with base R's glm (Poisson) and
# pick the best by BIC (k log n, n = observed people). Written for civcas's benchmark from
# the model definition; no existence checks (so a lower bound on Rcapture/SparseMSE time).
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d <- d[rowSums(d[, setdiff(names(d), "count"), drop = FALSE]) > 0, ]
forms <- readLines(args[2])
n <- sum(d$count)
t0 <- proc.time()[["elapsed"]]
best <- Inf; bestN <- NA; bestF <- ""
for (f in forms) {
  fit <- suppressWarnings(glm(as.formula(paste("count ~", f)), family = poisson, data = d))
  k <- length(coef(fit))
  bic <- -2 * as.numeric(logLik(fit)) + k * log(n)
  if (bic < best) { best <- bic; bestN <- n + exp(coef(fit)[[1]]); bestF <- f }
}
el <- proc.time()[["elapsed"]] - t0
cat(sprintf("%.4f\t%.4f\t%s\t%d\n", el, bestN, bestF, length(forms)))
