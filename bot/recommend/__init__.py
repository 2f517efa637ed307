"""Recommendations: a hashed tf-idf index of every paper and a linear SVM per user."""
