# LCMCR::lcmCR + lcmCR_PostSampl (the README's reference call) on an overlap CSV expanded to
# one row per person. Args: CSV K burnin samples thinning seed. Prints: elapsed, CPU
# (lcmCR and lcmCR_PostSampl only, not R's start-up), 2.5%, median, 97.5% of N.
suppressMessages(library(LCMCR))
args <- commandArgs(trailingOnly = TRUE)
K <- as.integer(args[2]); burnin <- as.integer(args[3]); samples <- as.integer(args[4]); thin <- as.integer(args[5]); seed <- as.integer(args[6])
d <- read.csv(args[1])
lists <- setdiff(names(d), "count")
# expand to one row per person, factors "0"/"1"
rows <- d[rep(seq_len(nrow(d)), d$count), lists]
for (l in lists) rows[[l]] <- factor(rows[[l]], levels = c(0, 1))
p0 <- proc.time()
s <- lcmCR(rows, tabular = FALSE, in_list_label = "1", not_in_list_label = "0", K = K, a_alpha = 0.25, b_alpha = 0.25, seed = seed, buffer_size = 10000, thinning = thin, verbose = FALSE)
N <- lcmCR_PostSampl(s, burnin = burnin, samples = samples, thinning = thin, output = FALSE)
p1 <- proc.time()
cpu <- (p1[["user.self"]] + p1[["sys.self"]]) - (p0[["user.self"]] + p0[["sys.self"]])
cat(sprintf("%.4f\t%.4f\t%.1f\t%.1f\t%.1f\n", p1[["elapsed"]] - p0[["elapsed"]], cpu, quantile(N, 0.025), median(N), quantile(N, 0.975)))
