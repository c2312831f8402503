# One image for every Duban service; the container's command picks the service.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore::DeprecationWarning
WORKDIR /app
# A CJK font for the charts in appraisal reports (Chinese labels, not boxes).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.txt
COPY shared ./shared
COPY services ./services
COPY scripts ./scripts
RUN pip install --no-cache-dir --no-deps -e .
RUN useradd --system --uid 10001 duban && mkdir -p /app/var && chown duban /app/var
USER duban
# SERVICE=tracking|intake|notify|appraisal|gateway
ENV SERVICE=tracking
# Migrations run once, in the compose `migrate` job, not in every replica.
CMD ["sh", "-c", "exec nameko run --config services/$SERVICE/config.yaml services.$SERVICE.service:$(python -c \"import os;print(os.environ['SERVICE'].capitalize())\")Service"]
