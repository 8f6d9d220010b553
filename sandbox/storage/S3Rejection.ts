// Why the S3 front refused a request, in S3's own error vocabulary (rendered as XML by s3Style).
export interface S3Rejection {
  status: number;
  code: string;
  message: string;
}

export const reject = (status: number, code: string, message: string): S3Rejection => ({ status, code, message });
