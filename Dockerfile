# Container for the explorer. Build: docker build -t dc-siting .   Run: docker run -p 8501:8501 dc-siting
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt
COPY app.py ./
COPY .streamlit ./.streamlit
COPY siting ./siting
COPY views ./views
COPY sites ./sites
COPY layers ./layers

RUN useradd --create-home --uid 10001 siting && mkdir -p static/mapdata && chown siting static/mapdata
USER siting
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
