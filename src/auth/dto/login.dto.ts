import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class LoginInput {
  @IsString()
  @MaxLength(320)
  email!: string;

  @IsString()
  @Length(1, 200)
  password!: string;

  /** Organisation slug; only needed when one email and password open several organisations. */
  @IsOptional()
  @IsString()
  @MaxLength(63)
  organisation?: string;
}
